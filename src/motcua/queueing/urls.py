from django.urls import path

from motcua.queueing import views, views_bookings, views_kiosk, views_measures

app_name = "queueing"

urlpatterns = [
    path("quay/", views.counters, name="counters"),
    path("quay/moi/", views.counter_form, name="counter_new"),
    path("quay/do-luong/", views_measures.measures_page, name="measures"),
    path("quay/<int:counter_id>/", views.counter, name="counter"),
    path("quay/<int:counter_id>/anh/<int:ticket_id>/", views.ticket_photo, name="ticket_photo"),
    path("quay/<int:counter_id>/sua/", views.counter_form, name="counter_edit"),
    path("<str:unit_code>/lay-so/", views_kiosk.kiosk, name="kiosk"),
    path("<str:unit_code>/so/<int:ticket_id>/", views_kiosk.ticket, name="ticket"),
    path("<str:unit_code>/dat-lich/nhan-so/", views_bookings.check_in, name="check_in"),
    path("<str:unit_code>/bang/", views.board, name="board"),
    path("<str:unit_code>/su-kien/", views.events, name="events"),
]
