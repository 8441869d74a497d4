from django.db import models


class Delivery(models.Model):
    """One message that a task has handed to a mail or SMS gateway, by a key the task chooses.

    The row is committed before the message goes out, so a task run again (after its worker
    died, or the database went away while the task was being marked done) never sends it twice.
    """

    key = models.CharField(max_length=200, unique=True)
    claimed_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "已发送的通知"
        verbose_name_plural = "已发送的通知"

    def __str__(self):
        return self.key
