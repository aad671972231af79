"""What a refused request must leave as it was: every row of the project's tables (the history tables
included), and the accounts. Whole rows rather than counts, because most refusals would be an UPDATE (a
status, a title, a team's cadence) and some changed tables keep no history. And a way to try a request
against the database as it is and then undo it, so that many requests start from the same state."""

import copy
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction

PROJECT_APPS = ("drivers", "assessments", "actions")


def _tables() -> list[str]:
    models = [model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]
    models.append(get_user_model())
    tables = {model._meta.db_table for model in models}
    # The M2M tables (an action's items, a user's groups) hold changes of their own.
    tables |= {
        field.remote_field.through._meta.db_table
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }
    return sorted(tables)


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: equal before and after means nothing changed."""
    state = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = sorted(cursor.fetchall(), key=repr)
    return state


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """The tables whose rows differ, to say where a refused request wrote."""
    return [table for table in before if before[table] != after[table]]


@contextmanager
def undone(*clients):
    """Runs the block in a savepoint rolled back after it, and gives the clients back their cookies (a
    sign-out or a message would otherwise outlive the rollback)."""
    cookies = [copy.deepcopy(client.cookies) for client in clients]
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    for client, kept in zip(clients, cookies, strict=True):
        client.cookies = kept
