"""The catalogue in the national procedure database's formats: read (`formats`), compared with the database
(`diff`), written (`export`). Nothing here writes to the database."""
