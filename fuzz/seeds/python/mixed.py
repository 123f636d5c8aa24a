# -*- coding: latin-1 -*-
from . import (a,
  b as c)
if TYPE_CHECKING:
    from x.y import *
class M(models.Model):
    class Meta:
        db_table = "t"
print "py2"
