"""`manage.py bench`: a province-sized data set on PostgreSQL and the time of every main page.

data.py loads invented petitions with COPY; pages.py names the pages and their varied
parameters; measure.py times them in-process, under gunicorn (against the floor view of
floor.py) and writes the results under bench/results/.
"""
