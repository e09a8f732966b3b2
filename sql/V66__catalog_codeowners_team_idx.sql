-- Catalog.serviceNamesOwnedBy finds the services a team owns through CODEOWNERS by the team's name
-- (the findings queue asks it on every request): without this index that read every repository's row.
CREATE INDEX repository_default_owner_team_idx ON repository_default_owner (team_name);
