"""温州市考绩委员会办公室 2013: 《2013年度县(市、区)考绩法》… 四、B类条线工作考核细则 (浙江 温州).

Rebuilt from the stored text of page 3 of the notice on 温州督考网
(http://www.wzdkw.gov.cn/system/2013/04/27/011263200_03.shtml), one cell per paragraph. The
unit column 单位 is merged over each unit's items (市委办公室 four, 市府办公室 two as far as the
stored text goes); the unit names are split over two paragraphs in the stored text
("市委" / "办公室", "市府" / "办公室") and are kept so. The stored text breaks off in the
具体要求 of 市府办公室's second item ("①有效"); the rebuilt table ends there, the cut marked
with "……" and the 考核细则 cell of that row left empty. 工作测评's 具体要求 is empty on the page
(a lone non-breaking space). Punctuation as stored (half-width commas and brackets).
"""

from __future__ import annotations

from sample_model import UP, Block, Para, grid

TITLE = "温州市考绩委员会办公室关于印发《2013年度县(市、区)考绩法》重点项目分项和条线工作考核细则的通知"
ISSUER = "温州市考绩委员会办公室"
DATE = (2013, 4, 17)
FORMATS = ("docx", "html")
PAGE = {
    "site": "温州督考网",
    "host": "www.wzdkw.gov.cn",
    "pubdate": "2013-04-27",
    "source": "温州督考网",
}

ROWS = [
    ("序号", "单位", "考核项目", "具体要求", "考核细则"),
    ("1", "市委\n办公室", "(1)党委信息报送工作(20分)",
     "日常信息报送、紧急信息报送等工作情况等。",
     "按《2013年全市党委系统信息工作考核办法》进行考核赋分。"),
    (UP, UP, "(2)机要工作(15分)",
     "密码通信、密码管理、信息化密码保障及信息化等工作情况。",
     "按《温州市机要工作考评实施细则》进行考核赋分。"),
    (UP, UP, "(3)保密安全保障工作(15分)",
     "①失泄密案件查处率达到100%,发生失泄密事件的按密级和份数扣分;②重点涉密单位检查率达到100%;"
     "③定密工作开展情况,重点单位定密范围一览表制定率达到100%;④涉密单位培训覆盖率达到100%;"
     "⑤保密管理数字化和岗位责任制落实情况;⑥“三网”平台监管、建设、维护、升级情况;"
     "⑦完成省市部署的年度任务情况;⑧保密工作保障情况。",
     "按《2013年度县(市、区)保密工作目标管理考评办法》进行考核赋分。"),
    (UP, UP, "(4)工作测评(50分)", "", "测评办法另行制订。"),
    ("2", "市府\n办公室", "(1)政务信息(20分)",
     "①信息来稿被采用后计分。②各县(市、区)、各单位全年考核标准分。③具体计分办法和全年考核标准分,"
     "按温州市人民政府办公室《关于调整政务信息工作计分考核办法的通知》文件执行。",
     "①按全年(截至11月底,12月纳入下年度考核)累计得分/全年考核标准分进行排名。②县(市、区)按排名赋分,"
     "第一名为满分,每降1位减0.5分;功能区按“累计得分/全年考核标准分”具体情况赋分。③未完成考核标准分的,酌情减分。"),
    (UP, UP, "(2)政府信息公开(20分)", "①有效……", ""),
]


def blocks() -> list[Block]:
    return [
        Para(ISSUER + "文件", "issuer", rule_below=True),
        Para(TITLE, "title"),
        Para("四、B类条线工作考核细则", "heading1"),
        grid(ROWS, (10, 16, 36, 52, 42), centered_cols=(0, 1)),
    ]
