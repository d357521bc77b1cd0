import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from doluong_dialogue.models import SiteConfiguration
from petitions.models import Department, ResidentialUnit
from petitions.permissions import department_ids, roles_of

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "bxd": {"party_building"},
    "vpdu": {"party_office"},
    "bithu": {"secretary"},
    "ubkt": {"inspection"},
    "kinhte": {"department"},
    "vhxh": {"department"},
    "mttq": {"front"},
}


def snapshot() -> dict:
    return {
        "users": list(User.objects.order_by("pk").values_list("username", "password")),
        "groups": list(User.groups.through.objects.order_by("pk").values_list("pk", flat=True)),
        "units": list(ResidentialUnit.objects.order_by("pk").values_list("pk", "name")),
        "members": list(
            Department.members.through.objects.order_by("pk").values_list("pk", flat=True)
        ),
        "config": list(SiteConfiguration.objects.values()),
    }


def test_seed_demo_builds_the_demo_accounts_with_their_roles(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for username, roles in ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.check_password("doluong2026")
        assert roles_of(user) == roles
    kinhte = User.objects.get(username="kinhte")
    assert department_ids(kinhte) == {Department.objects.get(name="Phòng Kinh tế").pk}
    assert ResidentialUnit.objects.filter(kind="xom").count() >= 10
    config = SiteConfiguration.load()
    assert config.demo_data
    assert config.secretary_name == "Phan Đình Toàn"


def test_running_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    before = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_demo_password_can_be_set_from_the_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-khac")
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="bxd").check_password("mat-khau-khac")


def test_seed_demo_refuses_to_run_when_debug_is_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="bxd").exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(username="bxd").exists()
