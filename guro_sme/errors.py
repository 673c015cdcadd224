class RuleError(Exception):
    """A business rule refused an action; nothing was written.

    `message` is the Korean text shown to the user as is; `messages` lists every reason when a
    check finds several at once (e.g. loan eligibility at 접수). Each app names its own subclass.
    """

    def __init__(self, message: str, messages: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.messages = messages or [message]
