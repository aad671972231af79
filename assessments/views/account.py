"""One's own account: name, e-mail, e-mail preference; and the links of password reset e-mails."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments import selectors, services
from assessments.forms import AccountForm


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, initial=selectors.account_settings(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your account is saved."))
            return redirect("account")
    return render(request, "accounts/account.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, writing its link with SITE_URL: the address in the e-mail never comes from the
    request's Host header. The page after the request is the same whether the e-mail has an account."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation; a new password also opens a sign-in paused by wrong passwords, which
    the lockout page promises."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_in_unlock(user=form.user)
        return response
