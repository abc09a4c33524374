"""Pure helpers with no models and no Django state: each is tested without a database."""
