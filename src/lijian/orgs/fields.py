from django.db import models


class ByteOrderCharField(models.CharField):
    """A text column compared byte by byte on every database (tree paths, codes).

    Subtree queries are ranges ``[path, path + "~")``; they are only right when the column sorts in
    code-point order, which PostgreSQL guarantees with the "C" collation whatever the database's
    default (SQLite's default BINARY collation already does). With "C", PostgreSQL's plain b-tree
    index also serves prefix searches (``LIKE 'x%'``), so no second pattern index is needed.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
