"""Document intelligence for mine action reports: load, clean, segment, extract."""
