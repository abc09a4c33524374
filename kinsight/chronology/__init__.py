"""Events as agencies recorded them, who they concern, and the merged chronology."""
