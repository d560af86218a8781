"""Prompts as a model reads them: plain text, or chat messages for a chat template.

A prompt is text, or text carrying the chat messages of a conversational dataset row
(tasks.PromptText): for prompt_format "chat" the messages are used as they are (a plain
prompt becomes one user message), the system_prompt put first unless they have a system
message; for "plain" the text is used (a conversation as "role: content" lines)."""


def chat_messages(prompt, system_prompt=None):
    messages = getattr(prompt, "messages", None)
    messages = [dict(m) for m in messages] if messages else [{"role": "user", "content": str(prompt)}]
    if system_prompt and not any(m["role"] == "system" for m in messages):
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages


def prompt_text(prompt):
    return str(prompt)
