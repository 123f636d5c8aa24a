mod a;
#[path = "x.rs"] mod b;
use crate::{a::{self, B as C}, *};
impl<T: Tr> Tr for S<T> { fn f(&self) { Self::g(); x.y().z(); } }
fn broken( {