package a;
class A { void f() { g(((((x)))); new B<C<D>>(){ }; } @RequestMapping("/" + K) void h() {} }
/* unterminated