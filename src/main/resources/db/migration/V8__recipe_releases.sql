-- Released recipe versions (io.hepaloop.recipe, docs/recipes.md): a recipe version (its content
-- hash) is released by an electronic signature; in strict mode only a released version can start
-- a run. audit_seq links the release to its signed audit record. Append-only.
CREATE TABLE recipe_releases (
  recipe_name TEXT NOT NULL,
  recipe_version TEXT NOT NULL,
  recipe_sha256 TEXT NOT NULL CHECK (length(recipe_sha256) = 64),
  recipe_text TEXT NOT NULL,
  released_by TEXT NOT NULL,
  released_at TEXT NOT NULL,
  meaning TEXT NOT NULL,
  audit_seq INTEGER,
  PRIMARY KEY (recipe_sha256)
);

CREATE TRIGGER recipe_releases_no_update BEFORE UPDATE ON recipe_releases
BEGIN
  SELECT RAISE(ABORT, 'recipe_releases is append-only: UPDATE refused');
END;

CREATE TRIGGER recipe_releases_no_delete BEFORE DELETE ON recipe_releases
BEGIN
  SELECT RAISE(ABORT, 'recipe_releases is append-only: DELETE refused');
END;
