from django.http import Http404


def enrol(request, date_id):
    # The enrolment form is built in the enrolment app's own change.
    raise Http404
