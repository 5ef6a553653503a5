"""Placeholder views, replaced in the next commits."""

from django.http import HttpRequest, HttpResponse


def settings_edit(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def category_list(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def category_edit(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def consultation_list(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def consultation_create(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def consultation_edit(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)
