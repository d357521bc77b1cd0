import factory
from django.contrib.auth.models import Group, User

from petitions.models import Department, ResidentialUnit, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = factory.Iterator(["An", "Bình", "Cường", "Dung", "Hạnh", "Khoa"])
    last_name = factory.Iterator(["Nguyễn Văn", "Trần Thị", "Lê Đình", "Phạm Thị"])
    email = factory.LazyAttribute(lambda user: f"{user.username}@doluong.example")
    password = factory.django.Password("matkhau-thu-nghiem")

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(*Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def departments(user, create, extracted, **kwargs):
        if extracted:
            for department in extracted:
                department.members.add(user)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Ban thử nghiệm {n}")
    kind = Department.Kind.GOVERNMENT


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")
    group = Topic.Group.ECONOMY


class ResidentialUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialUnit

    name = factory.Sequence(lambda n: f"Thử nghiệm {n}")
    kind = ResidentialUnit.Kind.HAMLET
