"""The routines as pure functions: a case (and who acts, and when) in, a new case out, or a domain error.

One module per area of the kommuners' routines. Nothing here reads a file or the clock: the CLI passes a
`Context` with the folder's settings and people, the actor and the time. Every function that changes a
case appends exactly one `logg` entry saying what happened and who did it.
"""
