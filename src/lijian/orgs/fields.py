from django.db import models


class PathField(models.CharField):
    """A tree path column compared byte by byte on every database.

    Subtree queries are ranges ``[path, path + "~")``; they are only right when the column sorts in
    code-point order, which PostgreSQL guarantees with the "C" collation whatever the database's
    default. SQLite's default BINARY collation already does.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
