namespace A { class B { void M( { #if X
 } class C : B<