"""What people take away: charts, the evidence pack, PDF, XLSX and LKJIP tables, advice text; built on services."""
