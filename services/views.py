from django.shortcuts import render


def service_index(request):
    return render(request, "services/index.html")
