global using static A.B;
using X = global::A.B<C>;
namespace N;
[Route("[controller]")] public partial record struct R(int A) : I { public static void M(this R r) { var g = app.MapGroup("/a").MapGroup(""); g.MapGet("/x", (int i) => i?.ToString()!); } }
