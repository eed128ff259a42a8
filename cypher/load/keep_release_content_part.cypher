// One further part of a long release content (app/interop/archive.py, PART_CHARS): $part =
// {release, part, data}, part counting from 1 (part 0 is the ReleaseContent node's own data).
CREATE (p:ReleaseContentPart)
SET p = $part
