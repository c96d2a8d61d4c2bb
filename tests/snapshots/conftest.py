from tests.ui.conftest import apps  # noqa: F401 - the same app factory as the Pilot tests
