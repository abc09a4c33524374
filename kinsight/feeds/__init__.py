"""What agencies send: agencies, feed files, the quarantine, and the ingest that keeps it all."""
