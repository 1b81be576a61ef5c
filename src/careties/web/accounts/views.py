"""Log in and out with Django's views; user management and passwords, in the NHS style.

Each view declares its permission with ``access.requires`` (``careties.manage_users``,
``careties.change_password``); which accounts a lead may change is the account
services' question (``services.manageable``), asked per account.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from careties.web import access
from careties.web.store.services import record_audit

from . import services
from .forms import InviteForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.jinja"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Anyone changes their own password, under the password policy."""

    template_name = "accounts/password.jinja"
    success_url = reverse_lazy("accounts:password_changed")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_audit(action="change", what="own password changed", user=self.request.user)
        return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where an invited user sets their first password (a one-time link)."""

    template_name = "accounts/password.jinja"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        record_audit(action="change", what="password set from invitation", user=form.user)
        return response


MANAGE_USERS = "careties.manage_users"
CHANGE_PASSWORD = "careties.change_password"


def _rows(actor) -> list[tuple]:
    return [(u, getattr(u, "membership", None)) for u in services.manageable(actor)]


#: The password page: Django's view, under the same declaration as every other page.
password = login_required(access.requires(CHANGE_PASSWORD)(PasswordChangeView.as_view()))


@login_required
@access.requires(CHANGE_PASSWORD)
def password_changed(request):
    return render(request, "accounts/message.jinja", {"title": "Your password is changed"})


@login_required
@access.requires(MANAGE_USERS)
def users(request):
    """The accounts this user manages, and the invite form."""
    form = InviteForm(request.POST or None, actor=request.user)
    invitation = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                la_codes=data["councils"],
                practice_code=data["practice_code"],
                team_code=data["team_code"],
                email=data.get("email") or "",
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            form = InviteForm(actor=request.user)
    context = {
        "form": form,
        "accounts": _rows(request.user),
        "invitation": invitation,
        "invite_url": request.build_absolute_uri(invitation.path) if invitation else "",
        "council": services.lead_council(request.user),
    }
    return render(request, "accounts/users.jinja", context, status=400 if form.errors else 200)


@login_required
@require_POST
@access.requires(MANAGE_USERS)
def remove(request, pk: int):
    """Remove an account; ``services.remove`` refuses one the user does not manage (403)."""
    target = get_object_or_404(get_user_model(), pk=pk)
    try:
        services.remove(actor=request.user, target=target)
    except services.AccountError as error:
        raise PermissionDenied(str(error)) from None
    return redirect("accounts:users")


@login_required
@require_POST
@access.requires(MANAGE_USERS)
def new_link(request, pk: int):
    """A fresh set-password link for an account the user manages (a lost invitation)."""
    if not services.manageable(request.user).filter(pk=pk).exists():
        raise PermissionDenied  # another council's account, or none: the same answer
    target = get_object_or_404(get_user_model(), pk=pk)
    if target.has_usable_password():  # only for an invitation not yet taken up
        raise PermissionDenied("This user has set a password; they change it themselves.")
    record_audit(
        action="change", what=f"set-password link made for {target.username}", user=request.user
    )
    form = InviteForm(actor=request.user)
    context = {
        "form": form,
        "accounts": _rows(request.user),
        "invitation": services.Invitation(user=target, path=services.set_password_path(target)),
        "council": services.lead_council(request.user),
    }
    context["invite_url"] = request.build_absolute_uri(context["invitation"].path)
    return render(request, "accounts/users.jinja", context)
