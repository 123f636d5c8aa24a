; What a Python file declares and imports. Read by src/lang/python.rs; every
; capture name here is matched there, and a test compiles this file.

(import_statement) @import
(import_from_statement) @import

(class_definition) @class
(function_definition) @function

; Decorators carry the framework knowledge the plan needs: routes
; (`@app.route`, `@router.get`), transactions (`@transaction.atomic`).
(decorator) @decorator

; Assignments: locals in functions, class attributes (`objects = Manager()`,
; `__tablename__`, `Meta.db_table`), `self.x = ...` fields, module globals
; (`__all__`, `urlpatterns`, `bp = Blueprint(...)`).
(assignment) @assign

; `with transaction.atomic():`, `with session.begin():`, `with X() as y`.
(with_item) @with

; `for x in items:` binds a local typed by the element of `items`.
(for_statement) @for

; Python 2 statements the grammar still accepts: the file is read, and a
; diagnostic says it is Python 2.
(print_statement) @python2
(exec_statement) @python2
