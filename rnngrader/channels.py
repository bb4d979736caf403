"""A kernel client whose sends never hide a reply from a wait on the same socket.

jupyter_client's Session.send writes through a plain, blocking shadow of the channel's asyncio socket
(`zmq.Socket.shadow(socket.underlying)`), so pyzmq's asyncio layer never hears of the send. ZeroMQ wakes
an asyncio wait through the socket's descriptor, which signals once per batch of news; a send processes
that news, so a reply that arrives during the send no longer signals, and a wait already pending on the
socket sleeps on with the reply in the socket. nbclient does exactly this: while it waits on the shell
socket for a cell's execute_reply, its stand-in for an Output widget (`interact` makes one) sends the
widget's outputs to the kernel on that socket. The wait then ends only at its time-out, the cell's
whole time limit, where pyzmq's last look finds the reply, and the run goes on without an error: a
notebook run 179 s longer in the tests (their time-out is 180 s; grading's is 60 s). Seen by running
03_bptt four at a time: about one run in eight lost a reply at a widget cell, always within ~20 ms of
such a send; the same send through the asyncio socket itself, or this fix, loses none.

After each send, these channels ask the asyncio socket for its events, as ZeroMQ requires after any
operation on a socket: pyzmq then wakes a pending wait at once when a message is there.
"""
import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type


class Channel(AsyncZMQSocketChannel):
    def send(self, msg):
        super().send(msg)
        self.socket.get(zmq.EVENTS)   # pyzmq's asyncio socket wakes a pending poll or recv if a message is in


class KernelClient(AsyncKernelClient):
    """AsyncKernelClient with the channels above (iopub only receives)."""

    shell_channel_class = Type(Channel)
    stdin_channel_class = Type(Channel)
    control_channel_class = Type(Channel)


class KernelManager(AsyncKernelManager):
    """AsyncKernelManager (nbclient's default) that hands out the client above."""

    client_class = DottedObjectName("rnngrader.channels.KernelClient")
    client_factory = Type(KernelClient, klass=AsyncKernelClient)   # AsyncKernelManager's own default wins otherwise
