// Keep a release's content beside its Release node: $content = {release, encoding, data}, where
// data is the canonical JSON export, gzip-compressed and base64-encoded (app/interop/archive.py).
CREATE (c:ReleaseContent)
SET c = $content
