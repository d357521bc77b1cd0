"""Importing the petition lists the Front and mass organisations hand over as Excel files.

The work is done in small steps, one module each:

- `reader` finds the table by the titles of its columns, not by position, and yields its
  rows with their Excel row numbers and the section each sits in;
- `validation` checks a row's texts: required cells, lengths, formats;
- `mapping` turns a row into what intake records: topic, departments, residential unit,
  petitioner, and says what it did not recognise;
- `planning` runs them all (`prepare`) and returns an `ImportPlan`: the petitions to
  create, or the errors, each with its Excel row and the column's title as the file names
  it; `commit` creates the plan's petitions through the services, all or nothing;
- `template` builds the downloadable template in the importer's own format.
"""
