"""The floor the list's throughput is compared with: the list's own queries (the same
`list_context`, the bell's count, the deployment's name) written out by a minimal template.
Served only by the benchmark's gunicorn (conclusions.bench.wsgi), never by the site."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines

from petitions.views.listing import list_context

TEMPLATE = """<!doctype html><title>{{ site_config.short_name }}</title>
<p>{{ unread_notifications }} {{ page.count }}</p><table>{% for row in rows %}
<tr><td>{{ row.petition.code }}</td><td>{{ row.petition.summary }}</td><td>{{ row.unit }}</td>
<td>{{ row.petition.topic.name }}</td><td>{{ row.petition.lead_department.name }}</td>
<td>{{ row.petition.status }}</td><td>{{ row.deadline.overdue_days }}</td></tr>{% endfor %}
</table>"""


@login_required
def petition_list_floor(request):
    template = engines["django"].from_string(TEMPLATE)
    return HttpResponse(template.render(list_context(request), request))
