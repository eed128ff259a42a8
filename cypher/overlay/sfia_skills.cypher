// Every SFIA skill (id, code, name): the candidates of skill suggestions. No parameters.
MATCH (s:SFIASkill)
RETURN s.id AS id, s.code AS code, s.name AS name
ORDER BY id
