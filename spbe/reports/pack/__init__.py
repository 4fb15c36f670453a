"""The evidence pack of an assessment: a streamed ZIP the asesor reads, with manifest, summary and workbook."""
