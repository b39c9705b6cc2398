"""Backups that restore: ``manage.py backup DIR`` and ``manage.py restore DIR``
(the logic in backups/services.py, the databases in backups/databases.py;
docs/operations.md, "Backups and restore")."""


class BackupError(Exception):
    """A backup or a restore refused or failed: the message says why, in Chinese,
    for the operator (the commands print it without a traceback)."""
