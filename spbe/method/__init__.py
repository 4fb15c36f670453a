"""The pure method: rubric, scoring, advice, what-if, year over year, file readers; imports no other layer of spbe."""
