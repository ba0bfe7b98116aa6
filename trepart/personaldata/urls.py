app_name = "personaldata"

urlpatterns: list = []
