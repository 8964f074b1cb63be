import type { AxiosResponse } from "axios"

/** An HTTP answer of the test runner's axios client. */
export type Res = AxiosResponse<any>

/** Answers the response whatever its status: axios throws on 4xx and 5xx, the tests assert on them. */
export const settle = (p: Promise<Res>): Promise<Res> => p.catch((e) => e.response)
