"""The data axes: the provincial one (LGSP/ESB) and the national one (NGSP). `transport.call` is the one
way a connector sends anything over them; see `transport` for the whole path."""
