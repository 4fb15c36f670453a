"""Operations on a whole installation: backup, restore, cleanup of evidence files, the demo instansi."""
