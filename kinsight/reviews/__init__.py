"""The practice-review pack: the multi-agency chronology, who knew what, and an anonymised draft."""
