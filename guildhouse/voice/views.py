"""Placeholder views, replaced in the next commits."""

from django.http import HttpRequest, HttpResponse


def speak_up(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def item_submit(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def consultation_answer(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def item_list(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def item_support(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def item_report(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def receipt(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def support_case_open(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def inbox(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def item_hide(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def moderation_list(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def item_restore(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)


def support_case_list(request: HttpRequest, pk: object = None) -> HttpResponse:
    return HttpResponse(status=404)
