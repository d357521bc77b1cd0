from datetime import date

import factory
from django.contrib.auth.models import Group, User

from petitions.models import Department, Petition, PetitionUnit, ResidentialUnit, Topic


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


class PetitionFactory(factory.django.DjangoModelFactory):
    """A petition as intake records it (status received); use the services to move it on."""

    class Meta:
        model = Petition
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"KN-2026-{900000 + n:06d}")
    summary = factory.Iterator(
        [
            "Đề nghị nạo vét kênh tưới tiêu nội đồng",
            "Đường liên xóm xuống cấp, nhiều ổ gà",
            "Chậm cấp giấy chứng nhận quyền sử dụng đất",
        ]
    )
    content = factory.LazyAttribute(lambda p: f"{p.summary}. Đề nghị xã sớm xem xét, giải quyết.")
    petitioner_name = factory.Iterator(["Nguyễn Văn Thưởng", "Trần Thị Lài", "Lê Đình Hòe"])
    petitioner_address = "Xóm Yên Thịnh"
    channel = Petition.Channel.FRONT
    received_on = factory.LazyFunction(lambda: date(2026, 11, 2))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def searchable(petition, create, extracted, **kwargs):
        petition.refresh_search()
        petition.refresh_fingerprint()
        if create:
            petition.save(update_fields=["search_text", "search_person", "intake_fingerprint"])

    @factory.post_generation
    def submitted_row(petition, create, extracted, **kwargs):
        # What petition_receive writes with a submitting organisation (who may see it).
        if create:
            PetitionUnit.objects.record_submitter(petition, new=True)
