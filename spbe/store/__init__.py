"""Persistence: SQLModel tables, engines and sessions, shared queries, evidence files; imports only spbe.method."""
