"""Investigation dossiers (HTML and PDF) and the party network they draw."""
