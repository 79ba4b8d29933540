"""The audit trail: who did what to which record, when and from where (等保 2.0)."""
