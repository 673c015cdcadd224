from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("applications/<int:pk>/payments/", views.payment_create, name="payment_create"),
    path("payments/<int:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("arrears/", views.arrears, name="arrears"),
    path("due/", views.due_list, name="due_list"),
]
