from django.db import migrations, models
import sqlalchemy as sa
from alembic import op

ops = [
    migrations.CreateModel(name="Order", fields=[("c", models.ForeignKey(to="app.customer", db_column="x")), ("t", models.ManyToManyField(to="self"))], options={"db_table": "o"}),
    migrations.AddField(model_name="order", name="v", field=models.OneToOneField(to=settings.AUTH_USER_MODEL)),
]


def upgrade():
    op.create_table("t", sa.Column("a", sa.Integer, sa.ForeignKey("u.id", name="n")), sa.ForeignKeyConstraint(["a"], ["u.id"]))
    op.create_foreign_key("n", "t", "u", ["a"], ["id"])
    batch_op.create_foreign_key("n", "u", ["a"], ["id"])


class R(Base):
    __tablename__ = "r"
    a: Mapped[int] = mapped_column("b", ForeignKey("t.a"))
