// Keep a release's content beside its Release node: $content = {release, encoding, data, parts},
// where data is the canonical JSON export, gzip-compressed and base64-encoded, or its first part
// when parts > 1 (the rest: keep_release_content_part.cypher; app/interop/archive.py).
CREATE (c:ReleaseContent)
SET c = $content
