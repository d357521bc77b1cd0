"""The channel a Front organisation's petitions arrive through is a field of the unit, set
for the existing organisations by a migration and edited in the admin; the intake form and
the import form both default to it."""

import pytest
from django.urls import reverse

from petitions.models import Channel, Department, Petition
from petitions.permissions import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member_of(name: str):
    return UserFactory(roles=[Role.FRONT], departments=[Department.objects.get(name=name)])


def default_channels(client, user) -> tuple[str, str]:
    """The channel the intake form and the import form start with."""
    client.force_login(user)
    intake = client.get(reverse("petitions:new")).context["form"]["channel"].value()
    upload = client.get(reverse("petitions:import")).context["form"]["channel"].initial
    return intake, upload


def test_the_front_organisations_get_their_channel_from_the_migration():
    channels = dict(Department.objects.exclude(channel="").values_list("name", "channel"))

    assert channels == {
        "Ủy ban MTTQ Việt Nam xã": Channel.FRONT,
        "Hội Nông dân": Channel.FARMERS,
        "Hội Liên hiệp Phụ nữ": Channel.WOMEN,
        "Đoàn Thanh niên": Channel.YOUTH,
        "Hội Cựu chiến binh": Channel.VETERANS,
    }


def test_the_petition_channel_is_the_same_choice_list():
    assert Petition.Channel is Channel


@pytest.mark.parametrize(
    ("organisation", "channel"),
    [("Hội Liên hiệp Phụ nữ", Channel.WOMEN), ("Ủy ban MTTQ Việt Nam xã", Channel.FRONT)],
)
def test_both_forms_default_to_the_organisations_channel(client, organisation, channel):
    assert default_channels(client, member_of(organisation)) == (channel, channel)


def test_the_channel_follows_the_field_not_the_name(client):
    # Renamed so that no word of the name says which union it is: the field still does.
    Department.objects.filter(name="Hội Nông dân").update(name="Hội ND", short_name="", aliases="")
    farmers = member_of("Hội ND")
    assert default_channels(client, farmers) == (Channel.FARMERS, Channel.FARMERS)

    # A unit whose channel is left empty defaults to the Front's.
    Department.objects.filter(name="Hội ND").update(channel="")
    assert default_channels(client, farmers) == (Channel.FRONT, Channel.FRONT)


def test_the_channel_is_shown_and_edited_in_the_admin(admin_client):
    youth = Department.objects.get(name="Đoàn Thanh niên")

    changelist = admin_client.get(reverse("admin:petitions_department_changelist"))
    assert "column-channel" in changelist.content.decode()
    change = admin_client.get(reverse("admin:petitions_department_change", args=[youth.pk]))
    form = change.context["adminform"].form
    assert form["channel"].value() == Channel.YOUTH

    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["members"] = []
    response = admin_client.post(
        reverse("admin:petitions_department_change", args=[youth.pk]),
        {**data, "channel": Channel.FRONT},
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.channel == Channel.FRONT
