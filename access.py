"""Who may see the dashboard.

With an `[auth]` section in `.streamlit/secrets.toml` (Streamlit's built-in OpenID Connect
login), every page needs a signed-in user: `require_sign_in()` shows a sign-in screen and stops
the run for anyone else. Without that section the app is open, and `.streamlit/config.toml`
binds the server to 127.0.0.1 so that only this machine can reach it.
"""

from __future__ import annotations

import importlib.util

import streamlit as st


def auth_configured() -> bool:
    """Whether the secrets hold an `[auth]` section (a missing secrets file means no)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def require_sign_in() -> None:
    """Stop this run with a sign-in screen unless sign-in is off or the user is signed in;
    a signed-in user gets their name and a sign-out button in the sidebar."""
    if not auth_configured():
        return
    if st.user.get("is_logged_in") is True:
        with st.sidebar:
            st.text(f"Signed in as {st.user.get('name') or st.user.get('email') or 'you'}")
            st.button("Sign out", on_click=st.logout, key="access_sign_out")
        return
    st.title("📰 Media Monitor")
    if importlib.util.find_spec("authlib") is None:
        st.error(
            "Sign-in is configured in `.streamlit/secrets.toml` but the Authlib package is "
            "missing: install it with `pip install Authlib` and restart the dashboard."
        )
    else:
        st.write("This dashboard is private. Sign in to continue.")
        st.button("Sign in", on_click=st.login, type="primary", key="access_sign_in")
    st.stop()
