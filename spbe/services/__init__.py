"""Use cases with their rules (answers, assessments, scenarios, imports, audit, permissions); below reports and web."""
